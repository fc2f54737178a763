import next from 'next15';
import { nextFactory, runNextTests } from './next-cases.js';

runNextTests('Next 15', nextFactory(next), 'next15');
