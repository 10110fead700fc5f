//! The Gaussian hypergeometric function and small linear algebra for the retention models.

/// Most terms the 2F1 series may take before giving up (z very close to 1).
const MAX_TERMS: u32 = 20_000_000;

/// The Gaussian hypergeometric function ₂F₁(a, b; c; z) for `0 ≤ z < 1` by its power series
/// `Σ (a)ₖ(b)ₖ / ((c)ₖ k!) zᵏ`, or `None` when `z` is outside `[0, 1)`, `c` is zero or a
/// negative integer, or the series has not converged after 20 million terms.
///
/// The BG/NBD calls it with `a, b, c > 0`, where every term is positive: the sum has no
/// cancellation, and it stops when a bound on the rest of the series no longer changes the
/// sum in the 17th digit (so `b` and `c` in the trillions, as a degenerate drop-out
/// distribution gives, cost no more than small ones).
/// The terms shrink like `zᵏ`, so the cost grows like `1 / (1 - z)`.
pub(crate) fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    if !(0.0..1.0).contains(&z) || !a.is_finite() || !b.is_finite() || !c.is_finite() {
        return None;
    }
    if c <= 0.0 && c == c.floor() {
        return None;
    }
    let mut term = 1.0f64;
    let mut sum = 1.0f64;
    let mut k = 0.0f64;
    for _ in 0..MAX_TERMS {
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        sum += term;
        k += 1.0;
        // Once a + k, b + k and c + k are positive, every later term ratio is at most
        // u = z · max(1, (a+k)/(k+1)) · max(1, (b+k)/(c+k)) (each factor moves
        // monotonically toward 1), so with u < 1 the tail is at most term · u / (1 − u).
        if a + k > 0.0 && b + k > 0.0 && c + k > 0.0 {
            let u = z * ((a + k) / (k + 1.0)).max(1.0) * ((b + k) / (c + k)).max(1.0);
            if u < 1.0 && term.abs() * u / (1.0 - u) <= 1e-17 * sum.abs() {
                return sum.is_finite().then_some(sum);
            }
        }
        if !sum.is_finite() {
            return None;
        }
    }
    None
}

/// The inverse of a small symmetric matrix by Gauss-Jordan elimination with partial
/// pivoting, or `None` when it is singular.
#[allow(clippy::needless_range_loop)] // matrix indices read as the formula
pub(crate) fn invert<const N: usize>(m: [[f64; N]; N]) -> Option<[[f64; N]; N]> {
    let mut a = m;
    let mut inv = [[0.0; N]; N];
    for (i, row) in inv.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for col in 0..N {
        let pivot = (col..N).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-300 || !a[pivot][col].is_finite() {
            return None;
        }
        a.swap(col, pivot);
        inv.swap(col, pivot);
        let p = a[col][col];
        for j in 0..N {
            a[col][j] /= p;
            inv[col][j] /= p;
        }
        for r in 0..N {
            if r != col {
                let f = a[r][col];
                if f != 0.0 {
                    for j in 0..N {
                        a[r][j] -= f * a[col][j];
                        inv[r][j] -= f * inv[col][j];
                    }
                }
            }
        }
    }
    Some(inv)
}

/// Standard errors from the Hessian of the negative log-likelihood: the square roots of the
/// diagonal of its inverse, `None` for each when the Hessian is not invertible or a
/// variance is not positive (the optimum is not a strict minimum).
#[allow(clippy::needless_range_loop)] // matrix indices read as the formula
pub(crate) fn std_errors<const N: usize>(hessian: [[f64; N]; N]) -> [Option<f64>; N] {
    let mut se = [None; N];
    if let Some(cov) = invert(hessian) {
        for (i, s) in se.iter_mut().enumerate() {
            let v = cov[i][i];
            *s = (v.is_finite() && v > 0.0).then(|| v.sqrt());
        }
    }
    se
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn hyp2f1_matches_closed_forms() {
        for z in [0.0, 0.1, 0.5, 0.9, 0.99, 0.999] {
            // ₂F₁(1, 1; 2; z) = -ln(1 - z) / z
            let want = if z == 0.0 {
                1.0
            } else {
                -(1.0f64 - z).ln() / z
            };
            assert!(close(hyp2f1(1.0, 1.0, 2.0, z).unwrap(), want, 1e-13), "{z}");
            // ₂F₁(a, b; b; z) = (1 - z)^-a
            let want = (1.0f64 - z).powf(-0.7);
            assert!(close(hyp2f1(0.7, 2.3, 2.3, z).unwrap(), want, 1e-13), "{z}");
            // ₂F₁(1/2, 1/2; 3/2; s²) = asin(s) / s
            let s = z.sqrt();
            let want = if s == 0.0 { 1.0 } else { s.asin() / s };
            assert!(close(hyp2f1(0.5, 0.5, 1.5, z).unwrap(), want, 1e-12), "{z}");
        }
    }

    #[test]
    fn hyp2f1_sums_huge_parameters_quickly() {
        // ₂F₁(a, b; b; z) = (1 − z)^(−a), whatever the size of b.
        for b in [1e6, 4.7e12, 1e300] {
            let v = hyp2f1(3.0, b, b, 0.5).unwrap();
            assert!(close(v, 8.0, 1e-13), "{b}: {v}");
        }
        // ₂F₁(1, b; b+1; z) with b → ∞ tends to 1/(1 − z).
        let v = hyp2f1(1.0, 5e12, 5e12 + 1.0, 0.25).unwrap();
        assert!(close(v, 4.0 / 3.0, 1e-9), "{v}");
    }

    #[test]
    fn hyp2f1_rejects_what_it_cannot_sum() {
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, 1.0), None);
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, -0.1), None);
        assert_eq!(hyp2f1(1.0, 1.0, -2.0, 0.5), None);
    }

    #[test]
    fn inverse_of_a_known_matrix() {
        let inv = invert([[4.0, 7.0], [2.0, 6.0]]).unwrap();
        let want = [[0.6, -0.7], [-0.2, 0.4]];
        for i in 0..2 {
            for j in 0..2 {
                assert!((inv[i][j] - want[i][j]).abs() < 1e-12);
            }
        }
        assert_eq!(invert([[1.0, 2.0], [2.0, 4.0]]), None);
        assert_eq!(std_errors([[4.0, 0.0], [0.0, -1.0]]), [Some(0.5), None]);
    }
}
