// Package validate splits rows into training and test parts for model
// validation: holdout, k-fold, stratified k-fold, repeated stratified k-fold,
// group k-fold, time-series split, bootstrap and a supplied test set.
//
// # Agreement with scikit-learn
//
// Without shuffling, KFold, StratifiedKFold, GroupKFold and TimeSeriesSplit
// give exactly the fold assignments of scikit-learn 1.2's classes of the same
// names (the tests hold literal folds printed by scikit-learn):
//
//   - KFold: fold f is the contiguous block of n/k rows, the first n mod k
//     folds one row larger.
//   - StratifiedKFold: classes are numbered in order of first appearance; the
//     rows of the sorted class vector are dealt round-robin to the folds
//     (allocation[f][c] = how many of y_sorted[f::k] are class c), and the
//     rows of class c, in row order, go to fold 0 allocation[0][c] times, then
//     fold 1, and so on.
//   - GroupKFold: groups (sorted by value) are taken largest first, ties by
//     larger group index first (numpy's argsort reversed; numpy sorts ties
//     stably for up to 16 groups, so beyond that scikit-learn's order of
//     equal-sized groups may differ), each into the fold with the fewest rows
//     so far (the first such fold).
//   - TimeSeriesSplit: with n rows in time order and k splits, test size
//     t = n / (k+1); fold f tests positions n − (k−f)·t … +t and trains on
//     every earlier position (an expanding window).
//
// # Randomness
//
// With shuffling (KFold, StratifiedKFold, holdout, bootstrap and every
// repeat of RepeatedStratifiedKFold) the permutations come from Go's
// math/rand/v2 PCG generator seeded with (seed, stream), where stream is a
// constant per scheme plus the repeat number: the same seed gives the same
// folds on every platform and Go version, but not the folds of scikit-learn
// with the same random_state (numpy's Mersenne Twister is not reproduced).
// Shuffled KFold permutes the rows and then cuts contiguous blocks;
// shuffled StratifiedKFold shuffles each class's fold labels, as
// scikit-learn does.
//
// # Holdout
//
// A holdout of fraction p tests ceil(p·n) rows, as scikit-learn's
// train_test_split; stratified, each class gets its share by largest
// remainder (ties to the class listed first) so the parts keep the class
// proportions.
//
// # Bootstrap
//
// Bootstrap draws B resamples of n rows with replacement; each resample
// trains on its draws (duplicates included) and is scored on its
// out-of-bag rows, those never drawn (about 36.8 % of them). The .632 and
// .632+ estimators that combine the out-of-bag error with the apparent
// (training) error are computed by package train (Efron 1983; Efron &
// Tibshirani 1997, "Improvements on cross-validation: the .632+ bootstrap
// method", JASA 92:548–560).
package validate
