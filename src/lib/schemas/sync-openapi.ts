import base from './sync-openapi.base.json';
import recordSchema from '../../../static/schemas/record.json';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The name under `components/schemas` of a `$defs` entry of the record schema. */
const defName = (key: string) => `Record${key[0]!.toUpperCase()}${key.slice(1)}`;

/** `value` with every `$ref` to `#/$defs/<key>` pointing at its place under `components/schemas`. */
function rewriteRefs(value: Json): Json {
	if (Array.isArray(value)) return value.map(rewriteRefs);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value).map(([key, item]) => {
			if (key === '$ref' && typeof item === 'string') {
				const def = /^#\/\$defs\/([^/]+)$/.exec(item);
				if (!def) {
					throw new Error(
						`static/schemas/record.json: "$ref": "${item}" cannot be bundled; refer to "#/$defs/<name>" only.`
					);
				}
				return [key, `#/components/schemas/${defName(def[1]!)}`];
			}
			return [key, rewriteRefs(item)];
		})
	);
}

/**
 * `/schemas/sync-openapi.json`: the wire protocol (SPEC section 7) as one self-contained
 * OpenAPI 3.1 document. The hand-written part is `sync-openapi.base.json`; the record schema
 * comes from `static/schemas/record.json`, the one place it is written, as `Record` (its
 * `$defs` as `Record<Name>` beside it), so readers and code generators need no other file.
 */
export function syncOpenApi(): Record<string, unknown> {
	// The document's jsonSchemaDialect is the record schema's $schema; $defs move beside it.
	const { $defs, ...record } = recordSchema as Record<string, Json>;
	delete record.$schema;
	delete record.$id;
	const schemas = base.components.schemas as Record<string, unknown>;
	const defs = Object.entries(($defs ?? {}) as Record<string, Json>).map(
		([key, schema]) => [defName(key), rewriteRefs(schema)] as const
	);
	for (const name of ['Record', ...defs.map(([name]) => name)]) {
		if (name in schemas) {
			throw new Error(
				`src/lib/schemas/sync-openapi.base.json: components.schemas.${name} comes from static/schemas/record.json; remove it from the base document.`
			);
		}
	}
	return {
		...base,
		components: {
			...base.components,
			schemas: { Record: rewriteRefs(record), ...Object.fromEntries(defs), ...schemas }
		}
	};
}

/** {@link syncOpenApi} as the site serves it: tab-indented JSON with a final newline. */
export function syncOpenApiText(): string {
	return JSON.stringify(syncOpenApi(), null, '\t') + '\n';
}
