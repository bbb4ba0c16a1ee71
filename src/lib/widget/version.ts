// A named import: only the version string is bundled, not the whole package manifest.
import { version } from '../../../package.json';

/** The widget's version, written into every record as `client.widget: assent/<version>`. */
export const WIDGET_VERSION: string = version;
