import pkg from '../../package.json' with { type: 'json' };

export const APP_NAME = 'Audit Review';
export const APP_VERSION: string = pkg.version;
