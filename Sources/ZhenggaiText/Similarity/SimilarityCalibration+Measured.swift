extension SimilarityCalibration {
    /// Placeholder until calibrate.py writes the measured curves.
    public static let measured = SimilarityCalibration(
        sameUnit: Curve(scores: [0, 0.2], precisions: [0, 0.5]),
        parentSubtree: Curve(scores: [0, 0.5], precisions: [0, 0.5]),
        elsewhere: Curve(scores: [0, 0.6], precisions: [0, 0.5]))
}
