import { exitOnStartError, runServer } from './server.js';

runServer().catch(exitOnStartError);
