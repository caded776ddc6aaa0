// How the long-running services are launched (npm start, the bench, the systemd unit). Measured on the
// point gateway with 8 nodes at 1 msg/s (bench/README.md `## ingest`): a 1 MB young generation, a capped
// old space and two malloc arenas cut steady-state RSS by ~40 MB at no measurable CPU cost.
export const POINT_NODE_ARGS = ['--max-semi-space-size=1', '--max-old-space-size=96'] as const;
/** The coordinator holds many points' state: only the young generation is shrunk. */
export const COORDINATOR_NODE_ARGS = ['--max-semi-space-size=1'] as const;
export const SERVICE_ENV = { MALLOC_ARENA_MAX: '2' } as const;
