package dev.netpress.zoo;

import dev.netpress.graph.Graph;
import java.util.List;

/** The model zoo: builds a named architecture as a freshly initialised graph. */
public final class Zoo {
    private static final List<String> NAMES = List.of("vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn",
            "vgg19", "vgg19_bn", "resnet18", "resnet34", "mobilenet_v2");

    private Zoo() {}

    public static List<String> names() {
        return NAMES;
    }

    public static Graph build(String name, ZooConfig config) {
        if (name.startsWith("vgg")) {
            boolean bn = name.endsWith("_bn");
            String depth = name.substring(3, bn ? name.length() - 3 : name.length());
            if (NAMES.contains(name)) {
                return Vgg.build(Integer.parseInt(depth), bn, config);
            }
        } else if (name.equals("resnet18") || name.equals("resnet34")) {
            return ResNet.build(Integer.parseInt(name.substring(6)), config);
        } else if (name.equals("mobilenet_v2")) {
            return MobileNetV2.build(config);
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; the zoo has " + String.join(", ", NAMES));
    }
}
