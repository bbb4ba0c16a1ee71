// The records page's one inline script, early in its head (src/hooks.server.ts; its hash is in the
// pages' Content-Security-Policy through svelte.config.js, both from this file's exact text). It
// reads the count and the newest 50 records with their sync state from the browser's database
// before the page's modules have loaded, and draws them into the prerendered page where its
// `data-records-early` element waits, as the records table draws them. The page's code takes over
// what was read (`window.assentRecordsEarly`, src/lib/components/records/early-read.ts) rather than
// reading it again; it never draws once that code has taken over. It never makes the database: a
// browser without one keeps the page's "Reading…" line until the page's code says it is empty.
(function () {
	/** @typedef {import('./records-query').RecordsPage} RecordsPage */
	/** @typedef {import('./early-read').HeadRead} HeadRead */
	var SIZE = 50;
	/** @type {(page: RecordsPage | null) => void} */
	var done = function () {};
	/** @type {HeadRead} */
	var early = {
		taken: false,
		page: undefined,
		read: new Promise(function (resolve) {
			done = resolve;
		})
	};
	// The page's modules start once the records are read (src/hooks.server.ts holds them back until
	// then), so as not to keep the page's thread busy while the read waits for it. A read the
	// browser holds up (another tab upgrading the database) is given up after a second: the page
	// then starts and reads for itself.
	setTimeout(function () {
		done(null);
	}, 1000);
	/** @type {{ assentRecordsEarly?: HeadRead }} */ (window).assentRecordsEarly = early;
	/** @param {RecordsPage | null} page */
	function finish(page) {
		early.page = page;
		done(page);
		if (!page) return;
		// The page's place for them is in its HTML before its scripts: it is there once parsed.
		if (document.querySelector('[data-records-early]') || document.readyState !== 'loading') draw();
		else document.addEventListener('DOMContentLoaded', draw);
	}
	function read() {
		var opening = indexedDB.open('assent');
		// No database yet: the page's own code makes it, with its schema.
		opening.onupgradeneeded = function () {
			opening.transaction?.abort();
		};
		opening.onerror = function (event) {
			event.preventDefault();
			finish(null);
		};
		opening.onsuccess = function () {
			var db = opening.result;
			db.onversionchange = function () {
				db.close();
			};
			try {
				// A few requests, each waiting for the page's thread, which is busy with its modules:
				// the count, the newest number, the 50th newest, the records from it on, their sync states.
				var tx = db.transaction(['records', 'outbox'], 'readonly');
				var store = tx.objectStore('records');
				var outbox = tx.objectStore('outbox');
				/** @type {import('../../core/record').AcceptanceRecord[]} */
				var records = [];
				var sync = new Map();
				var total = 0;
				var counting = store.count();
				counting.onsuccess = function () {
					total = counting.result;
				};
				/** @param {IDBValidKey | null} from the 50th newest number; null: every record */
				var readFrom = function (from) {
					var range = from === null ? null : IDBKeyRange.lowerBound(from);
					var reading = store.index('seq').getAll(range);
					reading.onsuccess = function () {
						records = reading.result.reverse().slice(0, SIZE);
					};
					// Sync states by number beside them; one whose number is not its record's, by id.
					var entries = outbox.index('seq').getAll(range);
					entries.onsuccess = function () {
						/** @type {Map<string, import('../../store/db').OutboxEntry>} */
						var byId = new Map();
						entries.result.forEach(function (entry) {
							byId.set(entry.id, entry);
						});
						records.forEach(function (record) {
							var known = byId.get(record.id);
							if (known) return void sync.set(record.id, known);
							var entry = outbox.get(record.id);
							entry.onsuccess = function () {
								if (entry.result) sync.set(record.id, entry.result);
							};
						});
					};
				};
				var cursor = store.index('seq').openKeyCursor(null, 'prev');
				var stepped = false;
				cursor.onsuccess = function () {
					var at = cursor.result;
					if (stepped) return readFrom(at ? at.key : null);
					// No records; else numbered without gaps, the newest 50 are the last 50 numbers.
					if (!at) return;
					var newest = Number(at.key);
					if (newest === total && newest > 0) return readFrom(Math.max(1, newest - SIZE + 1));
					// Gaps or a count not yet read: on to the 50th newest, one step more.
					stepped = true;
					at.advance(SIZE - 1);
				};
				// A page's first date format takes tens of milliseconds to make: it is made while the
				// database reads, in the reader's likely language (the site's are not known yet).
				try {
					timeFormat(localStorage.getItem('assent.locale') || navigator.language);
				} catch {
					timeFormat(navigator.language);
				}
				tx.oncomplete = function () {
					db.close();
					finish({ records: records, sync: sync, total: total, matching: total, page: 0 });
				};
				tx.onabort = function () {
					db.close();
					finish(null);
				};
			} catch {
				db.close();
				finish(null);
			}
		};
	}
	function draw() {
		var at = document.querySelector('[data-records-early]');
		if (early.taken || !at) return;
		/** @type {Record<string, Record<string, string>>} */
		var words;
		/** @type {string[]} */
		var locales;
		try {
			words = JSON.parse(at.getAttribute('data-records-early') ?? '');
			locales = JSON.parse(at.getAttribute('data-locales') ?? '');
		} catch {
			return;
		}
		var locale = pageLocale(locales);
		const found = words[locale] || words[locales[0] ?? ''];
		if (!found) return;
		const w = found;
		if (!early.page) return;
		const page = early.page;
		var time = timeFormat(locale);
		var plural = new Intl.PluralRules('en');
		/** @param {string} key @param {Record<string, string | number>} [values] */
		function t(key, values) {
			return (w[key] ?? key).replace(
				/\{(\w+)\}/g,
				function (/** @type {string} */ slot, /** @type {string} */ name) {
					return values && values[name] !== undefined ? String(values[name]) : slot;
				}
			);
		}
		/** @param {string} key @param {number} count */
		function counted(key, count) {
			return t(key + (plural.select(count) === 'one' ? '.one' : '.other'), { count: count });
		}
		/**
		 * @param {string} tag @param {Record<string, string | undefined>} attributes
		 * @param {(Node | string | undefined)[]} [children]
		 */
		function el(tag, attributes, children) {
			var node = document.createElement(tag);
			for (var name in attributes) {
				var value = attributes[name];
				if (value !== undefined) node.setAttribute(name, value);
			}
			(children || []).forEach(function (child) {
				if (child !== undefined) {
					node.append(typeof child === 'string' ? document.createTextNode(child) : child);
				}
			});
			return node;
		}
		/** @param {string} iso */
		function stamp(iso) {
			return el('time', { datetime: iso, title: iso }, [time.format(new Date(iso))]);
		}
		/** @param {import('../../store/db').OutboxEntry | undefined} entry */
		function syncCell(entry) {
			var state = entry ? entry.state : 'unknown';
			var cell = el('td', { class: 'sync', 'data-state': state });
			if (!entry) {
				cell.append(el('span', { class: 'none' }, [t('sync.unknown')]));
			} else if (entry.state === 'pending' && entry.target === null) {
				cell.append(el('span', { class: 'badge local' }, [t('sync.localOnly')]), ' ');
				cell.append(el('span', { class: 'why' }, [t('sync.localOnlyWhy')]));
			} else {
				cell.append(el('span', { class: 'badge ' + entry.state }, [t('sync.' + entry.state)]));
				if (entry.state === 'synced' && entry.receivedAt) {
					var received = (w['sync.received'] ?? '{time}').split('{time}');
					cell.append(' ', el('span', {}, [received[0], stamp(entry.receivedAt), received[1]]));
				}
				if (entry.state === 'rejected' && entry.reason) {
					cell.append(' ', el('span', { class: 'reason' }, [entry.reason]));
				}
				if (entry.state !== 'synced' || entry.attempts > 1) {
					cell.append(
						' ',
						el('span', { class: 'attempts' }, [counted('sync.attempts', entry.attempts)])
					);
				}
				if (entry.state === 'pending' && entry.lastError) {
					cell.append(
						' ',
						el('span', { class: 'reason' }, [t('sync.lastError', { error: entry.lastError })])
					);
				}
			}
			return cell;
		}
		/** @param {import('../../core/record').AcceptanceRecord} record */
		function row(record) {
			var statement = record.statement;
			return el('tr', { 'data-id': record.id, 'data-seq': String(record.seq) }, [
				el('th', { scope: 'row' }, ['#' + record.seq]),
				el('td', {}, [stamp(record.at)]),
				el('td', {}, [t('action.' + record.action)]),
				el('td', { class: 'subject' }, [record.subject]),
				el('td', {}, [
					record.partner === null
						? el('span', { class: 'none' }, [t('filter.noPartner')])
						: el('span', { class: 'name', title: record.partner }, [record.partner])
				]),
				el('td', {}, [
					el(
						'a',
						{
							href:
								'/statements/' +
								statement.id +
								'/' +
								statement.version +
								'/' +
								statement.locale +
								'/',
							hreflang: statement.locale,
							title: statement.id
						},
						[statement.id + ' ' + statement.version]
					),
					' ',
					el('span', { class: 'locale' }, ['(' + statement.locale + ')'])
				]),
				syncCell(page.sync.get(record.id)),
				// Working once the page's code has taken over, a moment later.
				el('td', {}, [
					el(
						'button',
						{
							type: 'button',
							class: 'details',
							disabled: '',
							'aria-expanded': 'false',
							'aria-label': t('details.show', { seq: record.seq })
						},
						[t('column.details')]
					)
				])
			]);
		}
		var shown = [
			el('p', { class: 'persistence', 'data-state': 'checking' }, [t('persistence.checking')])
		];
		if (page.total === 0) {
			shown.push(el('p', { class: 'empty' }, [t('records.empty')]));
		} else {
			shown.push(el('p', { class: 'count' }, [counted('records.count', page.total)]));
			shown.push(
				el('div', { class: 'export' }, [
					el('button', { type: 'button', disabled: '' }, [t('export.button')]),
					' ',
					el('p', { class: 'note' }, [t('export.note')])
				])
			);
			if (page.matching > SIZE && page.records.length > 0) {
				var nav = el('nav', { class: 'pages', 'aria-label': t('page.label') }, [
					el('p', {}, [t('page.range', { from: 1, to: page.records.length, count: page.matching })])
				]);
				['page.newest', 'page.newer', 'page.older', 'page.oldest'].forEach(function (key) {
					nav.append(' ', el('button', { type: 'button', disabled: '' }, [t(key)]));
				});
				shown.push(nav);
			}
			var head = el('tr', {}, []);
			['seq', 'time', 'action', 'subject', 'partner', 'statement', 'sync', 'details'].forEach(
				function (column) {
					head.append(el('th', { scope: 'col' }, [t('column.' + column)]));
				}
			);
			shown.push(
				el('div', { class: 'table-scroll records-table' }, [
					el('table', { class: 'data records' }, [
						el('caption', {}, [t('records.caption')]),
						el('thead', {}, [head]),
						el('tbody', {}, page.records.map(row))
					])
				])
			);
		}
		at.setAttribute('lang', locale);
		at.replaceChildren.apply(at, shown);
		// The line that said the records were being read, before them.
		var loading = at.previousElementSibling;
		if (loading instanceof HTMLElement && loading.classList.contains('loading'))
			loading.hidden = true;
	}
	// As the page decides (src/lib/components/locale-choice.svelte.ts): the reader's choice, else
	// the first of the browser's languages the site speaks, else the site's default.
	/** @param {string[]} locales */
	function pageLocale(locales) {
		var choice = null;
		try {
			choice = localStorage.getItem('assent.locale');
		} catch {
			// Storage refused (private mode, blocked): no choice kept.
		}
		if (choice && locales.indexOf(choice) >= 0) return choice;
		var languages =
			navigator.languages && navigator.languages.length
				? navigator.languages
				: [navigator.language];
		for (var i = 0; i < languages.length; i++) {
			var tag = String(languages[i]).toLowerCase();
			var language = tag.split('-')[0];
			var exact = locales.find(function (l) {
				return l.toLowerCase() === tag;
			});
			if (exact) return exact;
			var close = locales.find(function (l) {
				return l.split('-')[0]?.toLowerCase() === language;
			});
			if (close) return close;
		}
		return locales[0] || 'en';
	}
	/** @type {Record<string, Intl.DateTimeFormat>} */
	var formats = {};
	/** @param {string} locale */
	function timeFormat(locale) {
		if (!formats[locale]) {
			formats[locale] = new Intl.DateTimeFormat(locale, {
				dateStyle: 'medium',
				timeStyle: 'medium'
			});
		}
		return formats[locale];
	}
	try {
		read();
	} catch {
		finish(null);
	}
})();
