// swift-tools-version:6.0
import PackageDescription

// The arrows point one way: Text ← Core ← Store ← Server ← zhenggai, with Office beside Core.
// A target names only what it may use, so the compiler refuses an import against the arrows.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "zhenggai",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "zhenggai", targets: ["zhenggai"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        .target(name: "ZhenggaiText", swiftSettings: strict),
        .target(name: "ZhenggaiCore", dependencies: ["ZhenggaiText"], swiftSettings: strict),
        .target(
            name: "ZhenggaiOffice",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strict
        ),
        .target(
            name: "ZhenggaiStore",
            dependencies: [
                "ZhenggaiCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ZhenggaiServer",
            dependencies: [
                "ZhenggaiStore",
                "ZhenggaiOffice",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "zhenggai",
            dependencies: [
                "ZhenggaiServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "ZhenggaiTextTests", dependencies: ["ZhenggaiText"], exclude: ["Document/Fixtures"]),
        .testTarget(name: "ZhenggaiCoreTests", dependencies: ["ZhenggaiCore"]),
        // Opens a fresh store on a temporary SQLite file, or on PostgreSQL when ZHENGGAI_TEST_DATABASE_URL is set.
        .target(name: "ZhenggaiTestSupport", dependencies: ["ZhenggaiStore"], path: "Tests/ZhenggaiTestSupport"),
        .testTarget(name: "ZhenggaiOfficeTests", dependencies: ["ZhenggaiOffice"]),
        .testTarget(name: "ZhenggaiStoreTests", dependencies: ["ZhenggaiStore", "ZhenggaiTestSupport"]),
        .testTarget(
            name: "ZhenggaiServerTests",
            dependencies: [
                "ZhenggaiServer",
                "ZhenggaiTestSupport",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
