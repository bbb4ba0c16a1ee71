// The types of the generated status.js beside it: the TypeScript source it is bundled from.
export {
	associationStatus,
	lastAcceptance,
	lastAcceptedVersion,
	needsAcceptance,
	upcomingChange
} from '../../src/lib/core/status';
