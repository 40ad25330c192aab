import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { startSessionCheck } from './session/SessionProvider';
import { loadClientConfig } from './shared/config';
import '@gouvfr-lasuite/cunningham-react/style';
import './styles/fonts.css';
import './styles/app.css';

startSessionCheck();
const config = await loadClientConfig();
createRoot(document.getElementById('root')!).render(<App config={config} />);
