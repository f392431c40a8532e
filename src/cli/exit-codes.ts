/**
 * dk's documented exit codes (DESIGN.md, README "Exit codes"). They hold in `--json` mode too.
 */
export const ExitCode = {
  /** Everything worked. */
  Ok: 0,
  /** The work failed: lint findings at or above the threshold, a failed build or verify. */
  Failed: 1,
  /** The command line was wrong: unknown flag, bad argument, invalid value. */
  Usage: 2,
  /** No Docker engine answered at the address dk tried. */
  EngineUnreachable: 3,
  /** An input (file, directory, image, container) does not exist or cannot be read. */
  NotFound: 4,
  /** Interrupted by the user (Ctrl-C), as shells report SIGINT. */
  Interrupted: 130,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode] | number
