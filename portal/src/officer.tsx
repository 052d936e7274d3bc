import { ApolloError, useMutation, useQuery } from '@apollo/client';
import { FormEvent, useState } from 'react';
import {
  AcceptDossierDocument, DossierSummaryFragment, HandlingQueueDocument, IntakeQueueDocument, ReceiveSupplementDocument,
  RefuseIntakeDocument, RequestSupplementDocument, ResolveDossierDocument, StopProcessingDocument,
} from './generated/graphql';
import { ErrorNotice } from './errors';
import { statusName, when } from './format';
import type { Session } from './session';

export type Action = 'accept' | 'refuse' | 'supplement' | 'receiveSupplement' | 'resolve' | 'stop';

export const ACTION_NAMES: Record<Action, string> = {
  accept: 'Tiếp nhận (mẫu 01)',
  refuse: 'Từ chối tiếp nhận (mẫu 03)',
  supplement: 'Yêu cầu bổ sung (mẫu 02)',
  receiveSupplement: 'Đã nhận bổ sung',
  resolve: 'Đã giải quyết',
  stop: 'Dừng xử lý (mẫu 05)',
};
const NEEDS_REASON = new Set<Action>(['refuse', 'supplement', 'stop']);

/** The console's mutations; the graph decides who may run which on which dossier, the page only offers them. */
function useActions() {
  const refetchQueries = [IntakeQueueDocument, HandlingQueueDocument];
  const [accept, a] = useMutation(AcceptDossierDocument, { refetchQueries });
  const [refuse, r] = useMutation(RefuseIntakeDocument, { refetchQueries });
  const [supplement, s] = useMutation(RequestSupplementDocument, { refetchQueries });
  const [receiveSupplement, rs] = useMutation(ReceiveSupplementDocument, { refetchQueries });
  const [resolve, re] = useMutation(ResolveDossierDocument, { refetchQueries });
  const [stop, st] = useMutation(StopProcessingDocument, { refetchQueries });
  const [lastError, setLastError] = useState<{ code: string; error: ApolloError } | null>(null);
  const [lastDone, setLastDone] = useState<{ code: string; status: string } | null>(null);
  const run = async (action: Action, code: string, reason: string) => {
    setLastError(null);
    setLastDone(null);
    try {
      const done =
        action === 'accept' ? (await accept({ variables: { code } })).data?.acceptDossier
        : action === 'refuse' ? (await refuse({ variables: { code, reason } })).data?.refuseIntake
        : action === 'supplement' ? (await supplement({ variables: { input: { code, reason } } })).data?.requestSupplement
        : action === 'receiveSupplement' ? (await receiveSupplement({ variables: { code } })).data?.receiveSupplement
        : action === 'resolve' ? (await resolve({ variables: { code, note: reason || null } })).data?.resolveDossier
        : (await stop({ variables: { input: { code, reason } } })).data?.stopProcessing;
      if (done) setLastDone({ code: done.code, status: done.status });
    } catch (error) {
      if (error instanceof ApolloError) setLastError({ code, error });
      else throw error;
    }
  };
  const busy = [a, r, s, rs, re, st].some((m) => m.loading);
  return { run, busy, lastError, lastDone };
}

function QueueRow({ dossier, actions, onAct, busy }: { dossier: DossierSummaryFragment; actions: Action[]; onAct: (a: Action, code: string, reason: string) => void; busy: boolean }) {
  const [reason, setReason] = useState('');
  return (
    <tr data-dossier={dossier.code} data-status={dossier.status}>
      <td><code>{dossier.code}</code></td>
      <td>{dossier.applicantName}</td>
      <td>{dossier.procedure?.name ?? '—'}</td>
      <td className="status">{statusName(dossier.status)}</td>
      <td>{when(dossier.appointmentAt)}{dossier.isOverdue ? ' ⚠ quá hạn' : ''}</td>
      <td className="actions">
        {actions.some((a) => NEEDS_REASON.has(a)) ? <input name="reason" aria-label="Lý do" placeholder="Lý do" value={reason} onChange={(e) => setReason(e.target.value)} /> : null}
        {actions.map((action) => (
          <button key={action} type="button" data-action={action} disabled={busy} onClick={() => onAct(action, dossier.code, reason)}>{ACTION_NAMES[action]}</button>
        ))}
      </td>
    </tr>
  );
}

function Queue({ title, id, rows, actionsFor, onAct, busy, total }: {
  title: string; id: string; rows: DossierSummaryFragment[]; total: number | undefined; busy: boolean;
  actionsFor: (d: DossierSummaryFragment) => Action[]; onAct: (a: Action, code: string, reason: string) => void;
}) {
  return (
    <div id={id} className="queue">
      <h3>{title} <small>({total ?? '…'})</small></h3>
      {rows.length ? (
        <table>
          <thead><tr><th>Mã hồ sơ</th><th>Người nộp</th><th>Thủ tục</th><th>Trạng thái</th><th>Hẹn trả</th><th>Thao tác</th></tr></thead>
          <tbody>{rows.map((d) => <QueueRow key={d.code} dossier={d} actions={actionsFor(d)} onAct={onAct} busy={busy} />)}</tbody>
        </table>
      ) : <p className="empty">Không có hồ sơ.</p>}
    </div>
  );
}

/** Bàn làm việc cán bộ: the officer's intake and handling queues, and any action on a dossier by its code. */
export function OfficerConsole({ session }: { session: Session }) {
  const agencyCode = session.agency ?? '';
  const intake = useQuery(IntakeQueueDocument, { variables: { agencyCode }, skip: !agencyCode });
  const handling = useQuery(HandlingQueueDocument, { variables: { agencyCode }, skip: !agencyCode });
  const { run, busy, lastError, lastDone } = useActions();
  const [code, setCode] = useState('');
  const [action, setAction] = useState<Action>('accept');
  const [reason, setReason] = useState('');
  const byCode = (event: FormEvent) => {
    event.preventDefault();
    void run(action, code.trim(), reason.trim());
  };
  return (
    <section id="console">
      <h2>Bàn làm việc cán bộ {session.agency ? <small>· {session.agency}</small> : null}</h2>
      {session.role !== 'officer' ? <p className="note">Bạn đăng nhập với vai trò <code>{session.role}</code>: hệ thống sẽ từ chối các thao tác dành cho cán bộ.</p> : null}
      <button type="button" onClick={() => { void intake.refetch(); void handling.refetch(); }} disabled={!agencyCode}>Tải lại</button>
      <ErrorNotice error={intake.error ?? handling.error} />
      {agencyCode ? (
        <>
          <Queue id="intake" title="Chờ tiếp nhận (đăng ký trực tuyến)" rows={intake.data?.dossiers.items ?? []} total={intake.data?.dossiers.totalCount}
            actionsFor={() => ['accept', 'refuse']} onAct={run} busy={busy} />
          <Queue id="handling" title="Đang giải quyết" rows={handling.data?.dossiers.items ?? []} total={handling.data?.dossiers.totalCount}
            actionsFor={(d) => (d.status === 'SUPPLEMENT_REQUESTED' ? ['receiveSupplement', 'stop'] : ['supplement', 'resolve', 'stop'])} onAct={run} busy={busy} />
        </>
      ) : null}
      <form id="act-by-code" onSubmit={byCode}>
        <h3>Thao tác theo mã hồ sơ</h3>
        <label>Mã hồ sơ <input name="code" value={code} onChange={(e) => setCode(e.target.value)} required /></label>
        <label>Thao tác
          <select name="action" value={action} onChange={(e) => setAction(e.target.value as Action)}>
            {(Object.keys(ACTION_NAMES) as Action[]).map((a) => <option key={a} value={a}>{ACTION_NAMES[a]}</option>)}
          </select>
        </label>
        <label>Lý do / ghi chú <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} /></label>
        <button type="submit" disabled={busy}>Thực hiện</button>
      </form>
      {lastError ? <div className="action-error" data-dossier={lastError.code}><ErrorNotice error={lastError.error} /></div> : null}
      {lastDone ? <p className="done" data-done={lastDone.code} data-status={lastDone.status}>Hồ sơ <code>{lastDone.code}</code>: {statusName(lastDone.status)}</p> : null}
    </section>
  );
}
