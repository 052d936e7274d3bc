import { useLazyQuery } from '@apollo/client';
import { FormEvent, useState } from 'react';
import { LookupDossierDocument } from './generated/graphql';
import { ErrorNotice } from './errors';
import { statusName, when } from './format';

/** Tra cứu hồ sơ: by the code on the receipt, signed in or not. */
export function Lookup({ initialCode = '' }: { initialCode?: string }) {
  const [code, setCode] = useState(initialCode);
  const [lookup, { data, loading, error, called }] = useLazyQuery(LookupDossierDocument, { fetchPolicy: 'network-only' });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void lookup({ variables: { code: code.trim() } });
  };
  const found = data?.dossierLookup;
  return (
    <section id="lookup">
      <h2>Tra cứu hồ sơ</h2>
      <form onSubmit={submit}>
        <label>Mã hồ sơ <input name="code" value={code} onChange={(e) => setCode(e.target.value)} placeholder="000.00.00.H99-260101-0001" required /></label>
        <button type="submit" disabled={loading}>Tra cứu</button>
      </form>
      <ErrorNotice error={error} />
      {called && !loading && data && !found ? <p className="empty" data-lookup="none">Không tìm thấy hồ sơ có mã này.</p> : null}
      {found ? (
        <div className="lookup-result" data-lookup={found.code} data-status={found.status}>
          <p><strong>{found.procedureName ?? found.procedureCode}</strong></p>
          <p>Trạng thái: <span className="status">{statusName(found.status)}</span> · Nơi tiếp nhận: {found.receivingUnitName ?? '—'}</p>
          <p>Ngày nộp: {when(found.receivedAt)} · Hẹn trả: {when(found.expectedReturnAt)} · Có kết quả: {when(found.resolvedAt)}</p>
          <ol className="steps">{found.steps.map((step, i) => <li key={i} data-step={step.status}>{when(step.at)} — {statusName(step.status)}</li>)}</ol>
        </div>
      ) : null}
    </section>
  );
}
