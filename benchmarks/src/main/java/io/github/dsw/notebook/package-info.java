/**
 * Plumbing the notebooks share, so that their cells show the experiment and not the parsing and drawing: CSV rows
 * ({@link io.github.dsw.notebook.Csv}, quoted fields included), space-time diagrams of a simulator trace
 * ({@link io.github.dsw.notebook.SpaceTime}), sampled round-trip distributions
 * ({@link io.github.dsw.notebook.RoundTrips}), quorum availability ({@link io.github.dsw.notebook.QuorumAvailability}),
 * a histogram's CDF as plottable points ({@link io.github.dsw.notebook.HistogramCdf}), empirical CDF and tail points
 * ({@link io.github.dsw.notebook.Ecdf}), the role/term timeline of a Raft cluster
 * ({@link io.github.dsw.notebook.RoleTimeline}) and the Figure 8 step renderer ({@link io.github.dsw.notebook.LogSteps}).
 * Each was written by hand in one or more notebooks before; each has a unit test with independent expectations.
 * {@code NotebookCellsTest} keeps every notebook code cell at 40 lines or fewer.
 */
package io.github.dsw.notebook;
