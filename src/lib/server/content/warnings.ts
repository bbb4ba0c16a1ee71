import { compareVersions } from '../../core/version';
import type { ParsedFile } from './parse';
import type { ContentWarning } from './types';

/**
 * What an author should look at before publishing, though it does not stop the build: markup
 * the sanitizer removed, a leading heading that differs from the title, and a "material" version
 * whose text did not change. Only files not yet published are reported: published ones are
 * final, so repeating their warnings on every build would only hide new ones.
 */
export function contentWarnings(options: {
	files: ParsedFile[];
	all: ParsedFile[];
}): ContentWarning[] {
	const warnings: ContentWarning[] = [];
	const warn = (code: ContentWarning['code'], file: ParsedFile, message: string): void => {
		warnings.push({ code, file: file.shown, message: `${file.shown}: ${message}` });
	};
	for (const file of options.files) {
		const { removed, leadingHeading } = file.rendered;
		if (removed.length > 0) {
			warn(
				'content/sanitized',
				file,
				`removed from the page, as statements may not contain them: ${removed.join(', ')}. Readers see the text without them; delete them from the file (see "Markdown" in the README).`
			);
		}
		if (leadingHeading && !leadingHeading.dropped) {
			warn(
				'content/title',
				file,
				`the text starts with the heading "${leadingHeading.text}", which differs from the title "${file.title}", so the page shows both. Delete the heading, or make it the title.`
			);
		}
		if (file.change === 'material') {
			const previous = options.all
				.filter(
					(other) =>
						other.id === file.id &&
						other.locale === file.locale &&
						compareVersions(other.version, file.version) < 0
				)
				.sort((a, b) => compareVersions(b.version, a.version))[0];
			if (previous && sameText(previous.body, file.body)) {
				warn(
					'content/unchanged',
					file,
					`marked "material", but its text is the same as version ${previous.version} (${previous.shown}), so readers would be asked to accept again for no change. Check that the new text was saved, or use "minor".`
				);
			}
		}
	}
	return warnings;
}

/** The same text, apart from trailing spaces and blank lines. */
function sameText(a: string, b: string): boolean {
	const key = (text: string) =>
		text
			.split('\n')
			.map((line) => line.trimEnd())
			.join('\n')
			.trim();
	return key(a) === key(b);
}
