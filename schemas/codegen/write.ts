import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTypes } from './generate';

const target = join(__dirname, '..', 'types.ts');
writeFileSync(target, generateTypes());
console.log(`wrote ${target}`);
