/** Shared by the bare process and the orchestrator (which must not import the process entry itself). */
export const BARE_PATH = '/bare';
/** The same answer after reading the scene by _id, as get-scan-result does. */
export const BARE_DB_PATH = '/bare-db';
