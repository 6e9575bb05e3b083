// swift-tools-version:6.0
import PackageDescription

// The arrows point one way (docs/architecture.md):
//   ZhenggaiText ← ZhenggaiCore ← ZhenggaiStore ← ZhenggaiServices ← ZhenggaiServer ← zhenggai
// with ZhenggaiOffice beside Core, the demo county and the benchmarks in targets of their own.
// A target names only what it may use, and CI builds with the explicit import check, so an import against
// the arrows does not compile.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "zhenggai",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "zhenggai", targets: ["zhenggai"]),
        .executable(name: "zhenggai-bench", targets: ["zhenggai-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // The SMTP client of the e-mail channel (Vapor brings both already).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // Only its bcrypt product: password hashing without a web framework.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
    ],
    targets: [
        .target(name: "ZhenggaiText", resources: [.copy("Resources")], swiftSettings: strict),
        .target(
            name: "ZhenggaiCore", dependencies: ["ZhenggaiText"], resources: [.copy("Resources")], swiftSettings: strict),
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
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The use cases: everything the web pages, the API and the command line do, without a web framework.
        .target(
            name: "ZhenggaiServices",
            dependencies: [
                "ZhenggaiText", "ZhenggaiCore", "ZhenggaiOffice", "ZhenggaiStore",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        .target(
            name: "ZhenggaiDemo",
            dependencies: ["ZhenggaiCore", "ZhenggaiStore", "ZhenggaiServices"],
            swiftSettings: strict
        ),
        .target(
            name: "ZhenggaiServer",
            dependencies: [
                "ZhenggaiText", "ZhenggaiCore", "ZhenggaiOffice", "ZhenggaiStore", "ZhenggaiServices",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "zhenggai",
            dependencies: [
                "ZhenggaiText", "ZhenggaiCore", "ZhenggaiStore", "ZhenggaiServices", "ZhenggaiDemo", "ZhenggaiServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Benchmarks: sample data and timing loops, kept out of the product's libraries.
        .target(
            name: "ZhenggaiBenchmarks",
            dependencies: ["ZhenggaiText", "ZhenggaiOffice"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "zhenggai-bench",
            dependencies: [
                "ZhenggaiCore", "ZhenggaiStore", "ZhenggaiServices", "ZhenggaiServer", "ZhenggaiBenchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Vapor", package: "vapor"),
            ],
            swiftSettings: strict
        ),
        // Opens a fresh store on a temporary SQLite file, or on PostgreSQL when ZHENGGAI_TEST_DATABASE_URL is set.
        .target(
            name: "ZhenggaiTestSupport",
            dependencies: [
                "ZhenggaiCore", "ZhenggaiStore", "ZhenggaiServices",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ZhenggaiTestSupport"
        ),
        .testTarget(
            name: "ZhenggaiTextTests", dependencies: ["ZhenggaiText", "ZhenggaiBenchmarks"],
            exclude: ["Document/Fixtures"]),
        .testTarget(name: "ZhenggaiCoreTests", dependencies: ["ZhenggaiCore"]),
        .testTarget(name: "ZhenggaiOfficeTests", dependencies: ["ZhenggaiOffice", "ZhenggaiBenchmarks"]),
        .testTarget(name: "ZhenggaiStoreTests", dependencies: ["ZhenggaiCore", "ZhenggaiStore", "ZhenggaiTestSupport"]),
        .testTarget(
            name: "ZhenggaiServicesTests",
            dependencies: [
                "ZhenggaiCore", "ZhenggaiStore", "ZhenggaiServices", "ZhenggaiDemo", "ZhenggaiTestSupport",
                "ZhenggaiText", "ZhenggaiOffice",
            ]
        ),
        .testTarget(
            name: "ZhenggaiServerTests",
            dependencies: [
                "ZhenggaiCore", "ZhenggaiStore", "ZhenggaiServices", "ZhenggaiServer", "ZhenggaiTestSupport",
                "ZhenggaiDemo", "ZhenggaiText", "ZhenggaiOffice",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            exclude: ["__Snapshots__", "Fixtures"]
        ),
        // Runs the built `zhenggai` binary and checks each command's whole output and exit code.
        .testTarget(name: "ZhenggaiCLITests", dependencies: ["zhenggai"]),
    ],
    swiftLanguageModes: [.v6]
)
