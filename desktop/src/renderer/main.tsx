import './csp.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient, setApi } from './api/client.ts';
import { App } from './components/App.tsx';
import { useApp } from './stores/app.ts';
import { bindClient } from './stores/events.ts';
import './styles/app.css';

const client = createClient();
setApi(client);
bindClient(client);
void useApp.getState().loadInfo();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
