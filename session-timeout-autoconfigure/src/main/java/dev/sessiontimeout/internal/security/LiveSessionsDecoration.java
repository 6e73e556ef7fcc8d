/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package dev.sessiontimeout.internal.security;

/**
 * Marks the proxy by which the starter decorates an application's session registry whose
 * class cannot be subclassed: it implements every interface of the registry (its
 * {@code SessionRegistry} or {@code ReactiveSessionRegistry}, an
 * {@code ApplicationListener}, ...) but is not of its class. The failure analyzer reads
 * it, by name, on a bean injected as that class.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public interface LiveSessionsDecoration {

}
