// Process exit codes; scripts and CI branch on them, so they are part of the CLI's contract.
export const EXIT_OK = 0;
/** A node failed while running. */
export const EXIT_RUNTIME_FAILURE = 1;
/** The graph, a --set/--save target or the command line itself is wrong; nothing ran. */
export const EXIT_BAD_INPUT = 2;
/** Interrupted (Ctrl-C); 128 + SIGINT, as shells report it. */
export const EXIT_CANCELLED = 130;
