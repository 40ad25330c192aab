import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy…/waitFor give up after 1 s by default. The first screen of a file loads its lazy chunks
// while other work shares the two cores; waiting longer is slowness, not a pass: a missing text
// still fails, later.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => cleanup());
