/**
 * html-validate's configuration for the pages the site builds (tests/e2e/published.e2e.ts
 * checks every `*.html` of the build). The recommended rules, less the ones about how markup
 * is spelled where the spelling comes from tools rather than from us; every rule about what
 * the markup means stays on.
 *
 * @type {import('html-validate').ConfigData}
 */
export default {
	extends: ['html-validate:recommended'],
	rules: {
		// Prettier writes `<!doctype html>` in src/app.html lowercase; HTML ignores the case.
		'doctype-style': 'off',
		// Svelte writes void elements self-closed (`<meta />`, `<br/>`), the sanitized markdown
		// (DOMPurify's serializer) without the slash (`<br>`): both are valid HTML.
		'void-style': 'off',
		// SvelteKit leaves the indentation of app.html's empty `%sveltekit.head%` lines.
		'no-trailing-whitespace': 'off',
		// Svelte and DOMPurify write boolean attributes as `selected=""`, SvelteKit the stylesheet
		// links it inlines as bare `disabled`: both are valid HTML.
		'attribute-boolean-style': 'off',
		// Version anchors are version numbers (`history/#v1.0`) that readers link to; HTML allows
		// any id without whitespace, only the stricter default forbids the dot.
		'valid-id': ['error', { relaxed: true }]
	}
};
