"""Reports: terminal summary, findings.csv and the HTML report, from the same findings."""
