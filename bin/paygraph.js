#!/usr/bin/env node
// The `paygraph` command (`npx paygraph …`, or on the PATH once the package is
// installed): src/main.ts through tsx's loader, resolved from here, so it runs
// from any directory without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
