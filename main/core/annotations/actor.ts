/** Who is annotating and the clock to stamp it with (Unix seconds), injected so tests can fix time. */
export interface Actor {
  author: string;
  now: () => number;
}
