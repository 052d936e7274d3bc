import { ConflictError } from '@onestop/platform';
import { DossierStatus as S } from '../entities/dossier-status';

/** While the dossier is being worked on, agencies move it freely among these (code 4, and the paused 5 and 6). */
const WORKING: S[] = [S.TRANSFERRED, S.IN_APPRAISAL, S.AWAITING_PARTNER, S.APPROVAL, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION];
const ENDINGS: S[] = [S.RESOLVED, S.STOPPED, S.WITHDRAWN];

/**
 * The dossier lifecycle (shared/domain.md, "Proposed lifecycle"): from each status, the statuses it may move to.
 * INTAKE_REJECTED, WITHDRAWN, STOPPED and RETURNED end it; RESOLVED only leads to RETURNED.
 */
export const TRANSITIONS: Readonly<Record<S, readonly S[]>> = {
  [S.DRAFT]: [S.RECEIVED, S.INTAKE_REJECTED, S.WITHDRAWN],
  [S.RECEIVED]: [...WORKING, ...ENDINGS],
  [S.TRANSFERRED]: [...WORKING, ...ENDINGS],
  [S.IN_APPRAISAL]: [...WORKING, ...ENDINGS],
  [S.AWAITING_PARTNER]: [...WORKING, ...ENDINGS],
  [S.APPROVAL]: [...WORKING, ...ENDINGS],
  // the citizen's supplement or payment comes back into appraisal; nothing is resolved while they are awaited
  [S.SUPPLEMENT_REQUESTED]: [S.TRANSFERRED, S.IN_APPRAISAL, S.AWAITING_PARTNER, S.APPROVAL, S.STOPPED, S.WITHDRAWN],
  [S.FINANCIAL_OBLIGATION]: [S.IN_APPRAISAL, S.AWAITING_PARTNER, S.APPROVAL, S.SUPPLEMENT_REQUESTED, ...ENDINGS],
  [S.RESOLVED]: [S.RETURNED],
  [S.INTAKE_REJECTED]: [],
  [S.WITHDRAWN]: [],
  [S.STOPPED]: [],
  [S.RETURNED]: [],
};

export function mayMove(from: S, to: S): boolean {
  return TRANSITIONS[from].includes(to);
}

/** An illegal move is a CONFLICT error naming both ends and what was allowed, never a silent change. */
export class IllegalTransitionError extends ConflictError {
  constructor(readonly dossierCode: string, readonly from: S, readonly to: S) {
    const allowed = TRANSITIONS[from];
    super(
      `Dossier ${dossierCode} is ${from}; it cannot move to ${to}` +
        (allowed.length ? ` (from ${from}: ${allowed.join(', ')})` : ` (${from} is final)`),
      { reason: 'ILLEGAL_TRANSITION', dossierCode, from, to, allowed: [...allowed] },
    );
  }
}

export function assertTransition(dossierCode: string, from: S, to: S): void {
  if (!mayMove(from, to)) throw new IllegalTransitionError(dossierCode, from, to);
}
