/**
 * A key's lifecycle times, as tests and the demo set them to age keys
 * without waiting (each family stores them in its vendor's own fields).
 */
export interface KeyTimes {
  /** When the key was made. */
  readonly created?: Date;
  /** When it last authenticated a request; null: never used. */
  readonly lastUsed?: Date | null;
  /** When it stops authenticating; null: never (for the families whose keys expire). */
  readonly expires?: Date | null;
}

export const unixSeconds = (time: Date): number => Math.floor(time.getTime() / 1000);

/** A time as whole Unix seconds, null kept. */
export const unixSecondsOrNull = (time: Date | null): number | null => (time === null ? null : unixSeconds(time));
