// Good Hives, shard 2 of 2 (one file per shard, so vitest's workers share them).
import { goodHivesShard } from './self-test.js';

goodHivesShard(1, 2);
