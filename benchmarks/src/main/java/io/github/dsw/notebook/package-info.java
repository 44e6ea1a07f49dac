/**
 * Plumbing the notebooks share, so that their cells show the experiment and not the parsing and drawing: CSV rows
 * ({@link io.github.dsw.notebook.Csv}), space-time diagrams of a simulator trace
 * ({@link io.github.dsw.notebook.SpaceTime}), sampled round-trip distributions
 * ({@link io.github.dsw.notebook.RoundTrips}), quorum availability ({@link io.github.dsw.notebook.QuorumAvailability})
 * and a histogram's CDF as plottable points ({@link io.github.dsw.notebook.HistogramCdf}). Each was written by hand in
 * one or more notebooks before; each has a unit test with independent expectations.
 */
package io.github.dsw.notebook;
