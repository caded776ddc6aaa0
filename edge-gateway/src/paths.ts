// Where the repository's files are, found from this module's location by walking up to the root
// package.json. Works the same from the TypeScript sources and from the bundled service in dist/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'noodsteun') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`noodsteun: cannot find the repository root above ${start}`);
    dir = up;
  }
}

export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

export const repoPaths = {
  bin: join(REPO_ROOT, 'edge-gateway', 'bin', 'noodsteun.js'),
  kioskDist: join(REPO_ROOT, 'kiosk-ui', 'dist'),
  fallbackCss: join(REPO_ROOT, 'kiosk-ui', 'src', 'shared', 'fallback.css'),
  powerBudgetExample: join(REPO_ROOT, 'hardware', 'power-budget.example.json'),
  firmwareDist: join(REPO_ROOT, 'firmware', 'dist'),
  pinsDir: join(REPO_ROOT, 'hardware', 'pins'),
};
