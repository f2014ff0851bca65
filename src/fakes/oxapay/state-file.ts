/** The shared state-file helper (see ../kit/state-file.ts). */
export * from '../kit/state-file.ts'
