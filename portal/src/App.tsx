import { ApolloProvider } from '@apollo/client';
import { FormEvent, useEffect, useMemo, useState } from 'react';
import { createApolloClient } from './client';
import { MyDossiers, SubmitOnline } from './citizen';
import { Lookup } from './lookup';
import { OfficerConsole } from './officer';
import { readToken, Session, storedSession, storeSession } from './session';

type View = 'mine' | 'submit' | 'lookup' | 'console';

function SignIn({ session, onChange }: { session: Session | null; onChange: (s: Session | null) => void }) {
  const [raw, setRaw] = useState('');
  const [problem, setProblem] = useState('');
  if (session) {
    return (
      <div id="session" data-role={session.role}>
        <span>{session.name ?? session.subject} · <code>{session.role}</code>{session.agency ? <> · {session.agency}</> : null}</span>
        <button type="button" onClick={() => onChange(null)}>Đăng xuất</button>
      </div>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const read = readToken(raw);
    if (typeof read === 'string') setProblem(read);
    else {
      setProblem('');
      setRaw('');
      onChange(read);
    }
  };
  return (
    <form id="sign-in" onSubmit={submit}>
      <label>Mã đăng nhập (development token)
        <input name="token" value={raw} onChange={(e) => setRaw(e.target.value)} placeholder="npm run token -- citizen 001090000001" autoComplete="off" />
      </label>
      <button type="submit">Đăng nhập</button>
      {problem ? <p className="error" role="alert" data-error-code="BAD_TOKEN">{problem}</p> : null}
    </form>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null>(storedSession);
  const [view, setView] = useState<View>(session?.role === 'officer' ? 'console' : session ? 'mine' : 'lookup');
  const [lastCode, setLastCode] = useState('');
  const apollo = useMemo(() => createApolloClient(session), [session]);
  useEffect(() => () => void apollo.close(), [apollo]);
  const change = (next: Session | null) => {
    storeSession(next);
    setSession(next);
    setView(next?.role === 'officer' ? 'console' : next ? 'mine' : 'lookup');
  };
  const tabs: [View, string, boolean][] = [
    ['mine', 'Hồ sơ của tôi', session?.role === 'citizen'],
    ['submit', 'Nộp hồ sơ', session?.role === 'citizen'],
    ['lookup', 'Tra cứu', true],
    ['console', 'Bàn làm việc cán bộ', Boolean(session)],
  ];
  return (
    <ApolloProvider client={apollo.client}>
      <header>
        <h1>Cổng dịch vụ công <small>· Một cửa liên thông</small></h1>
        <SignIn session={session} onChange={change} />
      </header>
      <nav>
        {tabs.filter(([, , shown]) => shown).map(([id, label]) => (
          <button key={id} type="button" data-view={id} aria-pressed={view === id} onClick={() => setView(id)}>{label}</button>
        ))}
      </nav>
      <main>
        {view === 'mine' && session ? <MyDossiers session={session} /> : null}
        {view === 'submit' && session ? <SubmitOnline session={session} onSubmitted={setLastCode} /> : null}
        {view === 'lookup' ? <Lookup initialCode={lastCode} /> : null}
        {view === 'console' && session ? <OfficerConsole session={session} /> : null}
      </main>
    </ApolloProvider>
  );
}
