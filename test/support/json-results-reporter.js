// Writes jest's aggregated results to .jest-results.json so that `npm test` alone gives CI the counts it
// prints (`N passed, N failed`). Jest's own summary stays on the console.
const fs = require('node:fs');
const path = require('node:path');

class JsonResultsReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }
  onRunComplete(_contexts, results) {
    const failedSuites = results.testResults.filter((r) => r.testExecError || r.failureMessage && r.numFailingTests === 0);
    const summary = {
      numPassedTests: results.numPassedTests,
      numFailedTests: results.numFailedTests,
      numPendingTests: results.numPendingTests,
      numTotalTests: results.numTotalTests,
      // A suite that failed to run (syntax error, failing hook) has no failing test but must fail CI.
      numRuntimeErrorTestSuites: results.numRuntimeErrorTestSuites + failedSuites.length,
      success: results.success,
    };
    fs.writeFileSync(path.join(this.rootDir, '.jest-results.json'), JSON.stringify(summary, null, 2));
  }
}
module.exports = JsonResultsReporter;
