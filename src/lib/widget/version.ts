import pkg from '../../../package.json' with { type: 'json' };

/** The widget's version, written into every record as `client.widget: assent/<version>`. */
export const WIDGET_VERSION: string = pkg.version;
