/** The words of the consent widget (frame and inline session) in English. */
export const enWidget = {
	loading: 'Loading the statement…',
	version: 'Version {version}, in force since {date}',
	readFull: 'Read the full statement',
	agreeLabel: 'I have read and agreed to the {title}',
	agreeLabelMany: 'I have read and agreed to the {titles}',
	scrollFirst: 'Scroll to the end of the statement to continue.',
	confirm: 'Confirm',
	decline: 'Decline',
	saving: 'Saving…',
	saved: 'Saved in this browser.',
	synced: 'Saved and received by the service.',
	declined: 'Your answer was saved: you declined.',
	accepted: 'You agreed to version {version} on {date}.',
	changedTitle: 'The {title} has changed',
	changedIntro:
		'You agreed to version {accepted}. Version {inForce} is now in force with a material change:',
	showChanges: 'Show what changed',
	associateIntro:
		'Associating your account with {partner} lets {provider} share the data described in the statement below with {partner}.',
	associate: 'Associate with {partner}',
	associatedWith:
		'Your account is associated with {partner} since {date} (statement version {version}).',
	associatedBefore:
		'Your account is associated with {partner} since {date}, under statement version {accepted}. Version {inForce} is now in force with a material change: keep the association by agreeing to the new version, or disassociate.',
	keepAssociation: 'Keep the association under version {version}',
	disassociate: 'Disassociate',
	disassociateConfirm:
		'End the association with {partner}? {partner} will no longer receive data about your account from now on.',
	disassociateYes: 'Yes, disassociate',
	cancel: 'Cancel',
	disassociated: 'The association with {partner} has ended.',
	notAssociated: 'Your account is not associated with {partner}.',
	upcoming: 'Version {version} is announced and comes into force on {date}.',
	'error.widget/unreachable':
		'The statements could not be loaded. Check your connection and try again; nothing was recorded.',
	'error.widget/unknown-statement':
		'This page asks for a statement that is not published. Nothing was recorded; the site’s owner has been told.',
	'error.widget/unknown-partner':
		'This page names a partner that is not registered. Nothing was recorded; the site’s owner has been told.',
	'error.widget/origin':
		'This page is not allowed to show this consent form. Nothing was recorded.',
	'error.widget/attribute':
		'This consent form is set up incorrectly on this page. Nothing was recorded.',
	'error.widget/nothing-in-force':
		'No version of this statement is in force yet. Nothing was recorded.',
	'error.widget/hidden':
		'This form is covered or hidden on the page, so your answer was not recorded. Make sure you can see all of it, then try again.',
	'error.store/unavailable':
		'This browser does not let the form keep a record (storage is off or blocked). Nothing was recorded.',
	'error.store/blocked':
		'Another tab is updating this browser’s records. Close other tabs of this site and try again.',
	'error.store/quota':
		'This browser has no space left for the record. Free some space and try again; nothing was recorded.',
	'error.store/closed': 'The browser closed the record storage. Try again; nothing was recorded.',
	'error.store/conflict':
		'Another tab saved a record at the same moment. Try again; nothing was lost.',
	'error.store/failed':
		'The record could not be saved in this browser. Try again; nothing was recorded.',
	'error.record/no-crypto':
		'This browser cannot make a tamper-evident record here (no secure connection). Nothing was recorded.',
	'error.standing/record':
		'A record of your answers from another device could not be confirmed and was not used. What is shown here comes from confirmed records only.',
	errorDetails: 'Details for the site’s developers',
	summarySeparator: ': ',
	errorTitle: 'This consent form cannot be shown',
	retry: 'Try again'
} as const;
