/**
 * The state of `/verify/`: the site's published index (fetched once, from this site's own origin)
 * and the verification of the file in hand. Nothing else is fetched and nothing is uploaded.
 */
import { verifyEvidence, type PublishedIndex, type Verification } from '$lib/core/verify';

export interface VerifyPageOptions {
	/**
	 * Reads the site's `/statements/index.json`.
	 * @default a same-origin fetch of `/statements/index.json`
	 */
	loadIndex?: () => Promise<PublishedIndex>;
}

async function fetchIndex(): Promise<PublishedIndex> {
	const response = await fetch('/statements/index.json', { credentials: 'same-origin' });
	if (!response.ok) throw new Error(`HTTP ${response.status}`);
	return (await response.json()) as PublishedIndex;
}

export class VerifyPage {
	/** The name of the file being verified (`pasted` for pasted text). */
	name = $state<string | null>(null);
	working = $state(false);
	result = $state<Verification | null>(null);
	/** Why the site's index could not be read, when it could not. */
	indexError = $state<string | null>(null);

	#loadIndex: () => Promise<PublishedIndex>;
	#index: Promise<PublishedIndex | null> | undefined;
	/** Only the latest file's result is shown, however the verifications finish. */
	#run = 0;

	constructor(options: VerifyPageOptions = {}) {
		this.#loadIndex = options.loadIndex ?? fetchIndex;
	}

	#published(): Promise<PublishedIndex | null> {
		this.#index ??= this.#loadIndex().then(
			(index) => {
				this.indexError = null;
				return index;
			},
			(error: unknown) => {
				this.indexError = error instanceof Error ? error.message : String(error);
				// Asked again for the next file: the site may answer then.
				this.#index = undefined;
				return null;
			}
		);
		return this.#index;
	}

	async verifyText(options: { text: string; name: string }): Promise<void> {
		const run = ++this.#run;
		this.name = options.name;
		this.working = true;
		this.result = null;
		const index = await this.#published();
		const result = await verifyEvidence({ text: options.text, index });
		if (run !== this.#run) return;
		this.result = result;
		this.working = false;
	}

	async verifyFile(file: File): Promise<void> {
		await this.verifyText({ text: await file.text(), name: file.name });
	}
}
