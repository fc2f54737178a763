export { runClusterConformance, type ClusterSuiteOptions, type TestApi } from './cluster-suite.js';
