import './csp.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient, setApi } from './api/client.ts';
import { App } from './components/App.tsx';
import { useApp } from './stores/app.ts';
import { bindClient } from './stores/events.ts';
import { useLicensing } from './stores/licensing.ts';
import './styles/app.css';

const client = createClient();
setApi(client);
bindClient(client);
void useApp.getState().loadInfo();
void useLicensing.getState().load();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
