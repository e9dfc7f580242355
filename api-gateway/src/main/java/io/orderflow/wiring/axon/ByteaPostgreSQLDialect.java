package io.orderflow.wiring.axon;

import org.hibernate.boot.model.TypeContributions;
import org.hibernate.dialect.DatabaseVersion;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.jdbc.dialect.spi.DialectResolutionInfo;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.jdbc.BinaryJdbcType;

/**
 * Stores the {@code @Lob byte[]} columns of Axon's entities (event payloads and metadata, snapshots, tokens,
 * sagas, dead letters) as {@code bytea} instead of PostgreSQL large objects. With the default mapping each
 * write leaves an orphaned large object behind that no row deletion removes (ADR 0001).
 */
public class ByteaPostgreSQLDialect extends PostgreSQLDialect {

    public ByteaPostgreSQLDialect() {
        super(DatabaseVersion.make(15));
    }

    public ByteaPostgreSQLDialect(DialectResolutionInfo info) {
        super(info);
    }

    @Override
    protected String columnType(int sqlTypeCode) {
        return sqlTypeCode == SqlTypes.BLOB ? "bytea" : super.columnType(sqlTypeCode);
    }

    @Override
    protected String castType(int sqlTypeCode) {
        return sqlTypeCode == SqlTypes.BLOB ? "bytea" : super.castType(sqlTypeCode);
    }

    @Override
    public void contributeTypes(TypeContributions typeContributions, ServiceRegistry serviceRegistry) {
        super.contributeTypes(typeContributions, serviceRegistry);
        typeContributions.getTypeConfiguration().getJdbcTypeRegistry()
                .addDescriptor(SqlTypes.BLOB, BinaryJdbcType.INSTANCE);
    }
}
