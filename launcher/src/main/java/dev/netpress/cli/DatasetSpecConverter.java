package dev.netpress.cli;

import dev.netpress.data.DatasetSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Lets picocli parse {@code --dataset}, so a bad spec is reported like any other bad option value. */
final class DatasetSpecConverter implements ITypeConverter<DatasetSpec> {
    @Override
    public DatasetSpec convert(String value) {
        try {
            return DatasetSpec.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
