import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigSchema, type Config } from './schema.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates a parsed config object; relative paths are resolved against `baseDir`. */
export function parseConfig(value: unknown, source = '(config)', baseDir = process.cwd()): Config {
  const r = ConfigSchema.safeParse(value);
  if (!r.success) {
    throw new ConfigError(
      source,
      r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
    );
  }
  const cfg = r.data;
  const ids = new Set<string>();
  const problems: string[] = [];
  cfg.nodes.forEach((n, i) => {
    if (ids.has(n.id)) problems.push(`nodes.${i}.id: duplicate node id '${n.id}'`);
    ids.add(n.id);
  });
  const paths = new Set<string>();
  cfg.serial.forEach((s, i) => {
    if (paths.has(s.path)) problems.push(`serial.${i}.path: '${s.path}' listed twice`);
    paths.add(s.path);
  });
  cfg.vedirect.forEach((v, i) => {
    if (paths.has(v.path)) problems.push(`vedirect.${i}.path: '${v.path}' is already used`);
    paths.add(v.path);
    if (ids.has(v.node)) problems.push(`vedirect.${i}.node: '${v.node}' is already a node id`);
  });
  if (cfg.role === 'point' && cfg.charging.enabled && !cfg.powerBudgetFile) {
    problems.push('powerBudgetFile: required when charging.enabled (the budget protects the critical loads)');
  }
  if (cfg.charging.enabled && !cfg.nodes.some((n) => n.id === cfg.charging.node && n.kind === 'charger')) {
    problems.push(`charging.node: '${cfg.charging.node}' is not a charger in nodes`);
  }
  if (problems.length) throw new ConfigError(source, problems);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  cfg.dataDir = abs(cfg.dataDir);
  if (cfg.mqtt.mode === 'external') cfg.mqtt.passwordFile = abs(cfg.mqtt.passwordFile);
  if (cfg.coordinator) cfg.coordinator.passwordFile = abs(cfg.coordinator.passwordFile);
  if (cfg.powerBudgetFile) cfg.powerBudgetFile = abs(cfg.powerBudgetFile);
  return cfg;
}

export function loadConfigFile(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot read file: ${(err as Error).message}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
  return parseConfig(value, file, dirname(resolve(file)));
}
