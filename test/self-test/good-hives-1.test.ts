// Good Hives, shard 1 of 2 (one file per shard, so vitest's workers share them).
import { goodHivesShard } from './self-test.js';

goodHivesShard(0, 2);
