import next from 'next';
import { nextFactory, runNextTests } from './next-cases.js';

runNextTests('Next 16', nextFactory(next), 'next');
