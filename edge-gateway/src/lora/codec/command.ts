// Commands (downlink, fPort 9): a code and its arguments; the relay acks them by id (fPort 7).
import type { Field, Layout } from './layout.js';

export const COMMANDS = {
  status_now: [],
  set_status_interval: [{ name: 'minutes', type: 'uint', bits: 12 }],
  set_data_rate: [{ name: 'dr', type: 'uint', bits: 3, max: 5 }],
  charging: [{ name: 'enabled', type: 'bool' }],
  clear_board_slot: [{ name: 'slot', type: 'uint', bits: 4 }],
  time_sync: [{ name: 'unixS', type: 'uint', bits: 32 }],
  resend: [{ name: 'id', type: 'uint', bits: 6 }],
} as const satisfies Record<string, readonly Field[]>;

export type CommandName = keyof typeof COMMANDS;

export interface CommandMessage {
  kind: 'command';
  id: number;
  command: CommandName;
  args: Record<string, number | boolean>;
}

const argLayouts: Record<string, Layout> = {};
for (const [name, fields] of Object.entries(COMMANDS) as [string, readonly Field[]][]) argLayouts[name] = { fields };

export const commandLayout: Layout = {
  fields: [{ name: 'command', type: 'enum', bits: 8, values: Object.keys(COMMANDS) }],
  variant: { by: 'command', key: 'args', layouts: argLayouts },
};
