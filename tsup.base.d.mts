import type { Options } from 'tsup';

/** The build every published package shares, with `own` laid over it. */
export function packageBuild(own?: Options): Options;
