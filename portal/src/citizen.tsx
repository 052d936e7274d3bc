import { useMutation, useQuery, useSubscription } from '@apollo/client';
import { FormEvent, useState } from 'react';
import {
  DossierStatusDocument, DossierSummaryFragment, MyDossiersDocument, OnlineCatalogueDocument, RegisterDossierOnlineDocument,
} from './generated/graphql';
import { ErrorNotice } from './errors';
import { statusName, when } from './format';
import type { Session } from './session';

const OPEN = new Set(['DRAFT', 'RECEIVED', 'TRANSFERRED', 'IN_APPRAISAL', 'AWAITING_PARTNER', 'APPROVAL', 'SUPPLEMENT_REQUESTED', 'FINANCIAL_OBLIGATION', 'RESOLVED']);

/** One row; while the dossier is open its status is live (the subscription updates the cached dossier by code). */
function DossierRow({ dossier }: { dossier: DossierSummaryFragment }) {
  const live = useSubscription(DossierStatusDocument, { variables: { code: dossier.code }, skip: !OPEN.has(dossier.status) });
  return (
    <tr data-dossier={dossier.code} data-status={dossier.status}>
      <td><code>{dossier.code}</code></td>
      <td>{dossier.procedure?.name ?? '—'}</td>
      <td className="status">{statusName(dossier.status)} <small>({dossier.statusCode})</small></td>
      <td>{when(dossier.receivedAt)}</td>
      <td>{when(dossier.appointmentAt)}</td>
      <td className="live" data-live={live.error ? 'error' : live.data ? 'updated' : OPEN.has(dossier.status) ? 'listening' : 'closed'}>
        {live.error ? <ErrorNotice error={live.error} /> : live.data ? 'vừa cập nhật' : OPEN.has(dossier.status) ? 'đang theo dõi' : ''}
      </td>
    </tr>
  );
}

export function MyDossiers(_props: { session: Session }) {
  const { data, loading, error, refetch } = useQuery(MyDossiersDocument);
  const dossiers = data?.me.citizen?.dossiers?.items ?? [];
  return (
    <section id="my-dossiers">
      <h2>Hồ sơ của tôi {data?.me.citizen ? <small>· {data.me.citizen.fullName}</small> : null}</h2>
      <button type="button" onClick={() => refetch()}>Tải lại</button>
      <ErrorNotice error={error} />
      {loading && !data ? <p>Đang tải…</p> : null}
      {data && !dossiers.length ? <p className="empty">Chưa có hồ sơ nào.</p> : null}
      {dossiers.length ? (
        <table>
          <thead><tr><th>Mã hồ sơ</th><th>Thủ tục</th><th>Trạng thái</th><th>Ngày nộp</th><th>Hẹn trả</th><th>Trực tiếp</th></tr></thead>
          <tbody>{dossiers.map((d) => <DossierRow key={d.code} dossier={d} />)}</tbody>
        </table>
      ) : null}
    </section>
  );
}

export function SubmitOnline({ session, onSubmitted }: { session: Session; onSubmitted: (code: string) => void }) {
  const [nameContains, setNameContains] = useState('');
  const catalogue = useQuery(OnlineCatalogueDocument, { variables: { nameContains: nameContains.trim() || null } });
  const procedures = (catalogue.data?.procedures.items ?? []).filter((p) => p.onlineService !== 'NONE');
  const agencies = catalogue.data?.agencies ?? [];
  const [procedureCode, setProcedureCode] = useState('');
  const [agencyCode, setAgencyCode] = useState('');
  const [applicantName, setApplicantName] = useState(session.name ?? '');
  const [contactPhone, setContactPhone] = useState('');
  const [register, { data, loading, error }] = useMutation(RegisterDossierOnlineDocument, { refetchQueries: [MyDossiersDocument] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await register({
      variables: {
        input: {
          procedureCode: procedureCode || procedures[0]?.code || '',
          receivingAgencyCode: agencyCode || agencies[0]?.code || '',
          channel: 'ONLINE',
          applicantName: applicantName.trim(),
          applicantPersonalNumber: session.subject,
          contactPhone: contactPhone.trim() || null,
        },
      },
    }).catch(() => null);
    const code = result?.data?.registerDossierOnline.code;
    if (code) onSubmitted(code);
  };

  return (
    <section id="submit">
      <h2>Nộp hồ sơ trực tuyến</h2>
      <form onSubmit={submit}>
        <label>Tìm thủ tục <input name="nameContains" value={nameContains} onChange={(e) => setNameContains(e.target.value)} placeholder="ví dụ: đất đai" /></label>
        <label>Thủ tục
          <select name="procedureCode" value={procedureCode} onChange={(e) => setProcedureCode(e.target.value)}>
            {procedures.map((p) => <option key={p.code} value={p.code}>{p.name} ({p.processingDays} ngày)</option>)}
          </select>
        </label>
        <label>Nơi tiếp nhận
          <select name="receivingAgencyCode" value={agencyCode} onChange={(e) => setAgencyCode(e.target.value)}>
            {agencies.map((a) => <option key={a.code} value={a.code}>{a.name}</option>)}
          </select>
        </label>
        <label>Họ và tên người nộp <input name="applicantName" value={applicantName} onChange={(e) => setApplicantName(e.target.value)} required /></label>
        <label>Điện thoại nhận thông báo <input name="contactPhone" value={contactPhone} onChange={(e) => setContactPhone(e.target.value)} placeholder="0912345678" /></label>
        <button type="submit" disabled={loading || !procedures.length}>Nộp hồ sơ</button>
      </form>
      <ErrorNotice error={catalogue.error ?? error} />
      {data ? (
        <p className="receipt" data-submitted={data.registerDossierOnline.code}>
          Đã nộp: mã hồ sơ <code>{data.registerDossierOnline.code}</code>, {statusName(data.registerDossierOnline.status)}.
        </p>
      ) : null}
    </section>
  );
}
