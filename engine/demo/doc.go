// Package demo generates mlwb's built-in demonstration project: a synthetic,
// deterministic customer-churn data set with realistic relationships and the
// kinds of problems real data has, plus weekly "production" batches that drift.
//
// Everything is generated offline from a seed with math/rand/v2's PCG source;
// the same seed and size give the same frame on every run. Rows are generated
// one at a time, drawing random numbers in a fixed order, and all generated
// floats are rounded (fees to cents, usage to 0.01 GB, satisfaction to 0.1),
// so results do not depend on map order or on last-bit differences between
// platforms' math libraries except in astronomically rare ties.
//
// # Model
//
// Each customer has a latent dissatisfaction d ~ N(0, 1). It raises support
// calls (Poisson with rate exp(0.1 + 0.45d)), lengthens the gap since the last
// login and lowers the satisfaction score. Churn is Bernoulli with
//
//	logit P(churn) = -1.6 + 1.8[month-to-month] - 1.0[two-year]
//	                 + 0.35 support_calls - 0.035 tenure_months
//	                 + 0.5 fee_z - 0.75 (satisfaction - 3.5)
//	                 + 0.025 last_login_days + 0.6 drift
//
// where fee_z is the fee's deviation from its plan's mean in standard
// deviations and the true (unmasked) values are used, so missingness is
// unrelated to the outcome. The base churn rate is about 24%; a model knowing the
// true coefficients reaches a ROC AUC of about 0.87.
//
// # Drift
//
// Production weeks 1–6 follow the training distribution. From week 7 the
// drift strength rises linearly to 1 at week 12 (Drift) and both the data
// and the concept change. Data drift: fees rise, customers get younger, a
// new payment method appears, support calls rise, contracts move to
// month-to-month. Concept drift, added to the logit above:
//
//	logit P(churn) += drift × (1.9 - 0.525 support_calls
//	                  - 1.2[month-to-month] + 1.6 clip(usage_z, -3, 3))
//
// where usage_z is log data usage's deviation from its plan's median in
// standard deviations: support calls reverse, month-to-month contracts lose
// most of their risk and heavy users leave. A model fitted on the training
// snapshot loses ROC AUC week after week (from about 0.84 to about 0.66 at
// week 12 for a gradient-boosted model), as monitoring should show.
//
// # Deliberate problems
//
// Missing values (age 3%, satisfaction 8%, monthly_fee 1%, phone 25%, notes
// mostly for customers without support calls), impossible ages (0 and 150),
// a heavy-tailed data_usage_gb with a few extreme outliers, about 2% of cities
// spelled inconsistently ("paris ", "PARIS", "Sao Paulo"), and n/500 exact
// duplicate rows inserted at random positions.
package demo
