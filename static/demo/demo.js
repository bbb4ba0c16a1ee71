// The demo partner page's own script: loads the widget from the statements site, points it at
// the sync receiver, and lists every event the host page receives.
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content');
const site = meta('assent-site') || location.origin;
const syncUrl = meta('assent-sync-url');
const widgets = [...document.querySelectorAll('assent-consent')];

// Subject tokens the partner's server minted for its customers (SPEC section 8): the receiver
// stores the records as verified, and the widget reads the customer's standing on other devices.
const tokens = JSON.parse(meta('assent-subject-tokens') || '{}');
const tokenOf = (subject) => tokens[subject];

for (const widget of widgets) {
	if (site !== location.origin) widget.setAttribute('base', site);
	if (syncUrl) widget.setAttribute('sync-url', syncUrl);
	const token = tokenOf(widget.getAttribute('subject'));
	if (token) widget.setAttribute('subject-token', token);
}

const events = document.getElementById('events');
function show(name, detail) {
	const item = document.createElement('li');
	const code = document.createElement('code');
	code.textContent = name;
	const body = document.createElement('pre');
	body.textContent = JSON.stringify(detail, null, 2);
	item.append(code, body);
	events.prepend(item);
}
for (const name of [
	'assent:ready',
	'assent:accept',
	'assent:decline',
	'assent:associate',
	'assent:disassociate',
	'assent:sync',
	'assent:error'
]) {
	document.addEventListener(name, (event) => show(name, event.detail));
}

document.getElementById('subject').addEventListener('change', (event) => {
	const subject = event.target.value;
	document.getElementById('subject-name').textContent = subject;
	for (const widget of widgets) {
		const token = tokenOf(subject);
		if (token) widget.setAttribute('subject-token', token);
		else widget.removeAttribute('subject-token');
		widget.setAttribute('subject', subject);
	}
});
document.getElementById('status').addEventListener('click', async () => {
	show('status()', await document.getElementById('associate').status());
});
document.getElementById('sync').addEventListener('click', async () => {
	show('sync()', await document.getElementById('associate').sync());
});

await import(new URL('/widget/assent.js', site).href);
