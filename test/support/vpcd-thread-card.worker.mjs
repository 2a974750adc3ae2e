// The worker thread's entry: TypeScript through tsx, then the card (./vpcd-thread-card.worker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./vpcd-thread-card.worker.ts');
