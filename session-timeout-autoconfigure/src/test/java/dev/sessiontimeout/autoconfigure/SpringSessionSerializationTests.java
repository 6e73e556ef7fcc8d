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
package dev.sessiontimeout.autoconfigure;

import java.util.function.Function;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration;
import org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.RedisElementReader;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.ReactiveRedisIndexedSessionRepository;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.test.util.ReflectionTestUtils;

import dev.sessiontimeout.internal.session.SessionAttributes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of how the starter has Spring Session's Redis (servlet and reactive) and JDBC
 * stores read the session's attributes: a Java-serialized string without Java
 * deserialization where the store uses Spring Session's own Java serialization, and as
 * the application configured otherwise.
 *
 * @author session-timeout
 */
class SpringSessionSerializationTests {

	private static final String STATE = "3;1764633600000;1764634500000;1764633600000;4.7;;PT1H,PT10M,-,PT5M,0,admins";

	private final WebApplicationContextRunner redis = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionTimeoutAutoConfiguration.class,
				SessionTimeoutSecurityAutoConfiguration.class, SessionAutoConfiguration.class,
				DataRedisAutoConfiguration.class, SessionDataRedisAutoConfiguration.class));

	private final ReactiveWebApplicationContextRunner reactiveRedis = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionTimeoutAutoConfiguration.class,
				SessionTimeoutReactiveAutoConfiguration.class, WebFluxAutoConfiguration.class,
				SessionAutoConfiguration.class, DataRedisAutoConfiguration.class,
				SessionDataRedisAutoConfiguration.class));

	private final WebApplicationContextRunner jdbc = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionTimeoutAutoConfiguration.class,
				SessionTimeoutSecurityAutoConfiguration.class, SessionAutoConfiguration.class,
				DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
				JdbcSessionAutoConfiguration.class))
		.withPropertyValues("spring.datasource.generate-unique-name=true");

	@Test
	void redisDefaultRepositoryReadsStringsWithoutJavaDeserialization() {
		this.redis.run((context) -> {
			RedisSerializer<?> serializer = hashValueSerializer(context);
			assertThat(serializer).isInstanceOf(JavaSerializedStringRedisSerializer.class);
			assertReadsWhatJavaSerializationWrites(serializer);
		});
	}

	@Test
	void redisIndexedRepositoryReadsStringsWithoutJavaDeserialization() {
		this.redis.withPropertyValues("spring.session.data.redis.repository-type=indexed").run((context) -> {
			RedisSerializer<?> serializer = hashValueSerializer(context);
			assertThat(serializer).isInstanceOf(JavaSerializedStringRedisSerializer.class);
			assertReadsWhatJavaSerializationWrites(serializer);
		});
	}

	@Test
	void redisRepositoryWhenTheStarterIsDisabledThenSpringSessionsSerializer() {
		this.redis.withPropertyValues("session-timeout.enabled=false")
			.run((context) -> assertThat(hashValueSerializer(context))
				.isExactlyInstanceOf(JdkSerializationRedisSerializer.class));
	}

	@Test
	void redisRepositoryWhenTheApplicationsSerializerThenThatSerializer() {
		RedisSerializer<Object> json = new GenericJacksonJsonRedisSerializer(JsonMapper.builder().build());
		this.redis.withBean("springSessionDefaultRedisSerializer", RedisSerializer.class, () -> json)
			.withPropertyValues("spring.session.data.redis.repository-type=indexed")
			.run((context) -> assertThat(hashValueSerializer(context)).isSameAs(json));
	}

	@Test
	void redisRepositoryWhenTheApplicationsJavaSerializerThenThatSerializer() {
		JdkSerializationRedisSerializer own = new JdkSerializationRedisSerializer();
		this.redis.withBean("springSessionDefaultRedisSerializer", RedisSerializer.class, () -> own)
			.run((context) -> assertThat(hashValueSerializer(context)).isSameAs(own));
	}

	@Test
	void redisRepositoryWhenTheApplicationsCustomizerBeforeTheStartersGivesASerializerThenThatSerializer() {
		this.redis.withUserConfiguration(RedisSerializerCustomizerConfiguration.class)
			.run((context) -> assertThat(hashValueSerializer(context))
				.isSameAs(RedisSerializerCustomizerConfiguration.SERIALIZER));
	}

	@Test
	void reactiveRedisDefaultRepositoryReadsStringsWithoutJavaDeserialization() {
		this.reactiveRedis.run((context) -> {
			RedisSerializer<?> serializer = reactiveHashValueSerializer(context);
			assertThat(serializer).isInstanceOf(JavaSerializedStringRedisSerializer.class);
			assertReadsWhatJavaSerializationWrites(serializer);
		});
	}

	@Test
	void reactiveRedisIndexedRepositoryReadsStringsWithoutJavaDeserialization() {
		this.reactiveRedis.withPropertyValues("spring.session.data.redis.repository-type=indexed").run((context) -> {
			RedisSerializer<?> serializer = reactiveHashValueSerializer(context);
			assertThat(serializer).isInstanceOf(JavaSerializedStringRedisSerializer.class);
			assertReadsWhatJavaSerializationWrites(serializer);
		});
	}

	@Test
	void reactiveRedisRepositoryWhenTheStarterIsDisabledThenSpringSessionsSerializer() {
		this.reactiveRedis.withPropertyValues("session-timeout.enabled=false")
			.run((context) -> assertThat(reactiveHashValueSerializer(context))
				.isExactlyInstanceOf(JdkSerializationRedisSerializer.class));
	}

	@Test
	void reactiveRedisRepositoryWhenTheApplicationsSerializerThenThatSerializer() {
		RedisSerializer<Object> json = new GenericJacksonJsonRedisSerializer(JsonMapper.builder().build());
		this.reactiveRedis.withBean("springSessionDefaultRedisSerializer", RedisSerializer.class, () -> json)
			.withPropertyValues("spring.session.data.redis.repository-type=indexed")
			.run((context) -> assertThat(reactiveHashValueSerializer(context)).isSameAs(json));
	}

	@Test
	void reactiveRedisRepositoryWhenTheApplicationsJavaSerializerThenThatSerializer() {
		JdkSerializationRedisSerializer own = new JdkSerializationRedisSerializer();
		this.reactiveRedis.withBean("springSessionDefaultRedisSerializer", RedisSerializer.class, () -> own)
			.run((context) -> assertThat(reactiveHashValueSerializer(context)).isSameAs(own));
	}

	@Test
	void jdbcRepositoryReadsStringsWithoutJavaDeserialization() {
		this.jdbc.run((context) -> {
			JdbcIndexedSessionRepository repository = context.getBean(JdbcIndexedSessionRepository.class);
			assertThat(conversionService(repository).toString())
				.contains(JavaSerializedStringDeserializingConverter.class.getName());
			assertSavedAndFound(repository);
		});
	}

	@Test
	void jdbcRepositoryWhenTheStarterIsDisabledThenSpringSessionsConversionService() {
		this.jdbc.withPropertyValues("session-timeout.enabled=false")
			.run((context) -> assertThat(
					conversionService(context.getBean(JdbcIndexedSessionRepository.class)).toString())
				.doesNotContain(JavaSerializedStringDeserializingConverter.class.getName())
				.contains("DeserializingConverter"));
	}

	@Test
	void jdbcRepositoryWhenTheApplicationsSpringSessionConversionServiceThenThatConversionService() {
		ConversionService own = applicationConversionService();
		this.jdbc.withBean("springSessionConversionService", ConversionService.class, () -> own)
			.run(hasJdbcConversionService((context) -> own));
	}

	@Test
	void jdbcRepositoryWhenTheApplicationsConversionServiceThenThatConversionService() {
		ConversionService own = applicationConversionService();
		this.jdbc.withBean("conversionService", ConversionService.class, () -> own)
			.run(hasJdbcConversionService((context) -> own));
	}

	@Test
	void jdbcRepositoryWhenTheApplicationsQualifiedConversionServiceThenThatConversionService() {
		this.jdbc.withUserConfiguration(QualifiedConversionServiceConfiguration.class)
			.run(hasJdbcConversionService((context) -> context.getBean("ownConversionService")));
	}

	@Test
	void jdbcRepositoryWhenTheApplicationsCustomizerGivesAConversionServiceThenThatConversionService() {
		this.jdbc.withUserConfiguration(ConversionServiceCustomizerConfiguration.class)
			.run(hasJdbcConversionService((context) -> ConversionServiceCustomizerConfiguration.CONVERSION_SERVICE));
	}

	@Test
	void jdbcRepositoryWhenTheApplicationsFirstCustomizerGivesAConversionServiceThenThatConversionService() {
		this.jdbc.withUserConfiguration(FirstConversionServiceCustomizerConfiguration.class)
			.run(hasJdbcConversionService(
					(context) -> FirstConversionServiceCustomizerConfiguration.CONVERSION_SERVICE));
	}

	private static ContextConsumer<AssertableWebApplicationContext> hasJdbcConversionService(
			Function<ApplicationContext, Object> expected) {
		return (context) -> assertThat(conversionService(context.getBean(JdbcIndexedSessionRepository.class)))
			.isSameAs(expected.apply(context));
	}

	private static ConversionService applicationConversionService() {
		DefaultConversionService conversionService = new DefaultConversionService();
		conversionService.addConverter(Object.class, byte[].class, new SerializingConverter());
		conversionService.addConverter(byte[].class, Object.class, new DeserializingConverter());
		return conversionService;
	}

	@SuppressWarnings("unchecked")
	private static void assertReadsWhatJavaSerializationWrites(RedisSerializer<?> serializer) {
		JdkSerializationRedisSerializer java = new JdkSerializationRedisSerializer();
		assertThat(serializer.deserialize(java.serialize(STATE))).isEqualTo(STATE);
		assertThat(serializer.deserialize(java.serialize(42L))).isEqualTo(42L);
		assertThat(serializer.deserialize(java.serialize("caf\u00e9"))).isEqualTo("caf\u00e9");
		assertThat(serializer.deserialize(null)).isNull();
		assertThat(((RedisSerializer<Object>) serializer).serialize(STATE)).isEqualTo(java.serialize(STATE));
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static void assertSavedAndFound(JdbcIndexedSessionRepository jdbc) {
		SessionRepository<Session> repository = (SessionRepository) jdbc;
		Session session = repository.createSession();
		session.setAttribute(SessionAttributes.STATE, STATE);
		session.setAttribute("count", 42L);
		session.setAttribute("name", "caf\u00e9");
		repository.save(session);
		Session found = repository.findById(session.getId());
		assertThat(found).isNotNull();
		assertThat(found.<Object>getAttribute(SessionAttributes.STATE)).isEqualTo(STATE);
		assertThat(found.<Object>getAttribute("count")).isEqualTo(42L);
		assertThat(found.<Object>getAttribute("name")).isEqualTo("caf\u00e9");
	}

	@Configuration(proxyBeanMethods = false)
	static class ConversionServiceCustomizerConfiguration {

		static final ConversionService CONVERSION_SERVICE = applicationConversionService();

		@Bean
		SessionRepositoryCustomizer<JdbcIndexedSessionRepository> applicationCustomizer() {
			return (repository) -> repository.setConversionService(CONVERSION_SERVICE);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FirstConversionServiceCustomizerConfiguration {

		static final ConversionService CONVERSION_SERVICE = applicationConversionService();

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		SessionRepositoryCustomizer<JdbcIndexedSessionRepository> applicationCustomizer() {
			return (repository) -> repository.setConversionService(CONVERSION_SERVICE);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedConversionServiceConfiguration {

		@Bean
		@Qualifier("springSessionConversionService")
		ConversionService ownConversionService() {
			return applicationConversionService();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RedisSerializerCustomizerConfiguration {

		static final RedisSerializer<Object> SERIALIZER = new JdkSerializationRedisSerializer();

		@Bean
		@Order(-1)
		SessionRepositoryCustomizer<RedisSessionRepository> applicationCustomizer() {
			return (repository) -> ((RedisTemplate<?, ?>) repository.getSessionRedisOperations())
				.setHashValueSerializer(SERIALIZER);
		}

	}

	private static RedisSerializer<?> hashValueSerializer(ApplicationContext context) {
		RedisSessionRepository repository = context.getBeanProvider(RedisSessionRepository.class).getIfAvailable();
		Object operations = (repository != null) ? repository.getSessionRedisOperations()
				: context.getBean(RedisIndexedSessionRepository.class).getSessionRedisOperations();
		return ((RedisTemplate<?, ?>) operations).getHashValueSerializer();
	}

	private static RedisSerializer<?> reactiveHashValueSerializer(ApplicationContext context) {
		ReactiveRedisSessionRepository repository = context.getBeanProvider(ReactiveRedisSessionRepository.class)
			.getIfAvailable();
		ReactiveRedisOperations<String, Object> operations = (repository != null)
				? repository.getSessionRedisOperations()
				: context.getBean(ReactiveRedisIndexedSessionRepository.class).getSessionRedisOperations();
		RedisElementReader<?> reader = operations.getSerializationContext().getHashValueSerializationPair().getReader();
		return (RedisSerializer<?>) ReflectionTestUtils.getField(reader, "serializer");
	}

	private static ConversionService conversionService(JdbcIndexedSessionRepository repository) {
		return (ConversionService) ReflectionTestUtils.getField(repository, "conversionService");
	}

}
