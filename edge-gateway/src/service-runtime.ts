// How the long-running services are launched (npm start, the bench, the systemd unit). Measured on the
// point gateway with 8 nodes at 1 msg/s (bench/README.md `## ingest`): a 1 MB young generation and a capped
// old space keep V8's heap near what is live; two malloc arenas, and mmap for allocations of 64 KiB and
// up (returned to the system when freed) with trimming above 128 KiB, keep glibc from holding on to the
// native memory that message buffers churn through. Together: ~186 MB → ~92 MB RSS at no measurable CPU cost.
export const POINT_NODE_ARGS = ['--max-semi-space-size=1', '--max-old-space-size=96'] as const;
/** The coordinator holds many points' state: only the young generation is shrunk. */
export const COORDINATOR_NODE_ARGS = ['--max-semi-space-size=1'] as const;
export const SERVICE_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_TRIM_THRESHOLD_: '131072' } as const;
