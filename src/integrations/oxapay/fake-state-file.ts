/** The shared state-file helper (see fake-kit/state-file.ts). */
export * from '../fake-kit/state-file.ts'
