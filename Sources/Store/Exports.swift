/// Store takes the driver's connections and pool in its signatures, so whoever uses Store sees them: the
/// executables open the pool and hand its connections to Store, and never write SQL (ops/test checks).
@_exported import PostgresDriver
